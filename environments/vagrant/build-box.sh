#!/usr/bin/env bash
# Builds a Vagrant box for the libvirt provider from Debian packages alone, for machines that cannot download
# boxes (like CI here), and adds it to Vagrant as gallerybench/debian12:
#   1. debootstrap a Debian 12 rootfs with a kernel, systemd, openssh-server, sudo and procps (and Python, Flask and
#      gunicorn for the Flask example subject);
#   2. configure it: systemd-networkd with DHCP, a lean login shell, a `vagrant` user with passwordless sudo and
#      Vagrant's well-known key (Vagrant replaces it with a fresh key on the first `vagrant up`);
#   3. make a bootable disk without loop mounts: an ext4 root filled by `mkfs.ext4 -d`, a small FAT boot
#      partition with syslinux, an MBR, joined with sfdisk and dd, converted to qcow2;
#   4. pack box.img, metadata.json and a Vagrantfile into a .box.
# The box is cached by a hash of its inputs: a second run only checks that Vagrant has it.
#
# Usage: build-box.sh [--force]     Env: DEBIAN_MIRROR (default: the host's apt mirror)
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"

BOX_NAME=gallerybench/debian12
force=${1:-}
[ "$(id -u)" = 0 ] || gb_die "building the box needs root (debootstrap, chroot, mkfs)"
for tool in debootstrap mkfs.ext4 mkfs.fat syslinux sfdisk qemu-img vagrant mcopy; do
    command -v "$tool" >/dev/null || gb_die "$tool is missing: run scripts/setup-machine (as root) first"
done

mirror=$(gb_debian_mirror)
vagrant_pub=$(ls /usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub /opt/vagrant/embedded/gems/*/gems/vagrant-*/keys/vagrant.pub 2>/dev/null | head -1 || true)
[ -n "$vagrant_pub" ] || gb_die "cannot find Vagrant's insecure public key (keys/vagrant.pub in the vagrant gem)"

key=$(cat "$0" "$vagrant_pub" | sha256sum | cut -c1-12)
box_dir="$GB_BUILD_CACHE/boxes"
box_file="$box_dir/gallerybench-debian12-$key.box"
marker="$box_dir/added-$key"

if [ "$force" != "--force" ] && [ -s "$box_file" ] && [ -e "$marker" ] && vagrant box list 2>/dev/null | grep -q "^$BOX_NAME "; then
    echo "$box_file"
    exit 0
fi
# Built once, whoever asks: a second caller waits for the first's build, then finds the box.
mkdir -p "$box_dir"
exec 9>"$box_dir/build.lock"
flock 9
if [ "$force" != "--force" ] && [ -s "$box_file" ] && [ -e "$marker" ] && vagrant box list 2>/dev/null | grep -q "^$BOX_NAME "; then
    echo "$box_file"
    exit 0
fi

if [ "$force" = "--force" ] || [ ! -s "$box_file" ]; then
    work=$(mktemp -d /var/tmp/gallerybench-box.XXXXXX)
    trap 'umount -R "$work/rootfs/proc" "$work/rootfs/sys" "$work/rootfs/dev" 2>/dev/null || true; rm -rf "$work"' EXIT
    root="$work/rootfs"
    eat=$(command -v eatmydata || true)

    gb_step "box 1/4: debootstrap Debian 12 with a kernel, systemd and openssh (a few minutes)"
    include=linux-image-amd64,initramfs-tools,systemd,systemd-sysv,udev,dbus,libpam-systemd,openssh-server,sudo,procps,iproute2,curl,ca-certificates,kmod,netbase
    # The Flask example subject's packages (subjects/flask-gallery): any subject's [vm] packages are installed with the
    # guest's apt when missing, but under emulation that takes one and a half minutes; here it costs seconds, once.
    include+=,python3-flask,gunicorn
    # No service starts inside the chroot.
    mkdir -p "$root/usr/sbin"
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
    $eat debootstrap --variant=minbase --include="$include" bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 \
        || { tail -30 "$work/debootstrap.log" >&2; gb_die "debootstrap failed (log above)"; }
    rm -f "$root/usr/sbin/policy-rc.d"

    gb_step "box 2/4: configure users, network, boot"
    echo gallery-vm > "$root/etc/hostname"
    printf '127.0.0.1 localhost\n127.0.1.1 gallery-vm\n' > "$root/etc/hosts"
    printf 'LABEL=gbroot / ext4 defaults,noatime 0 1\n' > "$root/etc/fstab"
    mkdir -p "$root/etc/systemd/network"
    printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n\n[DHCPv4]\nUseDomains=yes\n' > "$root/etc/systemd/network/80-dhcp.network"
    chroot "$root" systemctl enable systemd-networkd ssh >/dev/null 2>&1
    # DNS is not needed, and waiting for every link to be online only slows the boot.
    chroot "$root" systemctl mask systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
        man-db.timer e2scrub_all.timer fstrim.timer dpkg-db-backup.timer systemd-tmpfiles-clean.timer >/dev/null 2>&1 || true
    chroot "$root" systemctl enable serial-getty@ttyS0.service >/dev/null 2>&1 || true
    chroot "$root" useradd --create-home --shell /bin/bash --groups sudo vagrant
    echo 'vagrant ALL=(ALL) NOPASSWD:ALL' > "$root/etc/sudoers.d/vagrant"; chmod 440 "$root/etc/sudoers.d/vagrant"
    install -d -m 700 -o 1000 -g 1000 "$root/home/vagrant/.ssh"
    install -m 600 -o 1000 -g 1000 "$vagrant_pub" "$root/home/vagrant/.ssh/authorized_keys"
    # A lean login shell: every SSH command pays for it (a heavy .bashrc added seconds per command here).
    printf '# Gallery Bench box: kept lean on purpose.\n' > "$root/home/vagrant/.bashrc"; chown 1000:1000 "$root/home/vagrant/.bashrc"
    printf 'UseDNS no\nPasswordAuthentication no\n' > "$root/etc/ssh/sshd_config.d/gallerybench.conf"
    echo 'root:vagrant' | chroot "$root" chpasswd
    rm -rf "$root"/usr/share/{doc,man,info,locale}/* "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
    kernel=$(ls "$root"/boot/vmlinuz-* | head -1)
    initrd=$(ls "$root"/boot/initrd.img-* | head -1)
    [ -s "$kernel" ] && [ -s "$initrd" ] || gb_die "the kernel or initrd is missing from the rootfs"

    gb_step "box 3/4: bootable disk (ext4 root + FAT/syslinux boot, no loop mounts)"
    root_mb=2560; boot_mb=64
    mkfs.ext4 -q -L gbroot -d "$root" "$work/root.img" "${root_mb}M"
    mkfs.fat -C -n GBBOOT "$work/boot.img" $((boot_mb * 1024)) >/dev/null
    cat > "$work/syslinux.cfg" <<CFG
DEFAULT debian
PROMPT 0
TIMEOUT 0
LABEL debian
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND root=LABEL=gbroot ro console=tty0 console=ttyS0,115200 net.ifnames=0 quiet
CFG
    mcopy -i "$work/boot.img" "$kernel" ::/vmlinuz
    mcopy -i "$work/boot.img" "$initrd" ::/initrd.img
    mcopy -i "$work/boot.img" "$work/syslinux.cfg" ::/syslinux.cfg
    syslinux --install "$work/boot.img"
    disk="$work/disk.raw"
    total_mb=$((1 + boot_mb + root_mb))
    truncate -s "${total_mb}M" "$disk"
    printf 'label: dos\nstart=2048, size=%dMiB, type=c, bootable\nstart=%d, type=83\n' "$boot_mb" $((2048 + boot_mb * 2048)) \
        | sfdisk -q "$disk"
    dd if=/usr/lib/syslinux/mbr/mbr.bin of="$disk" bs=440 count=1 conv=notrunc status=none
    dd if="$work/boot.img" of="$disk" bs=1M seek=1 conv=notrunc,sparse status=none
    dd if="$work/root.img" of="$disk" bs=1M seek=$((1 + boot_mb)) conv=notrunc,sparse status=none
    qemu-img convert -O qcow2 "$disk" "$work/box.img"

    gb_step "box 4/4: pack the box"
    size_gb=$(( (total_mb + 1023) / 1024 ))
    printf '{"provider":"libvirt","format":"qcow2","virtual_size":%d}\n' "$size_gb" > "$work/metadata.json"
    cat > "$work/Vagrantfile" <<'VF'
Vagrant.configure("2") do |config|
  config.vm.provider :libvirt do |libvirt|
    libvirt.driver = "kvm"
    libvirt.disk_bus = "virtio"
  end
end
VF
    mkdir -p "$box_dir"
    tar -C "$work" -cf "$box_file.tmp" metadata.json Vagrantfile box.img
    mv "$box_file.tmp" "$box_file"
    find "$box_dir" -name 'gallerybench-debian12-*.box' ! -name "$(basename "$box_file")" -delete
fi

gb_step "vagrant box add $BOX_NAME"
vagrant box add --force --name "$BOX_NAME" "$box_file" >/dev/null
rm -f "$box_dir"/added-*
touch "$marker"
echo "$box_file"
