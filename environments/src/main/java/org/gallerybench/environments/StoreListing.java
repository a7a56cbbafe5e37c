package org.gallerybench.environments;

import java.util.List;

/**
 * A capability: the environment can list what its store holds, for an app that has no /api/images of its own (a
 * subject whose manifest says listing = "folder"). The run proves with it that the app serves exactly its dataset.
 */
public interface StoreListing {

    /** The names of the images in the store, hidden files (a reset's kept folder) left out. */
    List<String> storedNames();
}
