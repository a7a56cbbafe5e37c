#!/bin/sh
# Starts the gallery server with the production flags (jvm.options, shared with the container and the local
# process), plus the AOT cache, but only if that cache was made for this very build: the JVM would not
# notice a stale one and would run old classes.
app=/opt/gallery/app
aot=/opt/gallery/aot
set -- "@$app/jvm.options"
if [ -s "$aot/app.aot" ] && [ -s "$aot/build" ] && cmp -s "$aot/build" "$app/build"; then
    set -- "$@" "-XX:AOTCache=$aot/app.aot"
fi
exec /opt/java/openjdk/bin/java "$@" -jar "$app/gallery-server.jar"
