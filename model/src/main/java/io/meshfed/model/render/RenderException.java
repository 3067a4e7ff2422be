package io.meshfed.model.render;

import io.meshfed.model.inventory.Location;

/** The inventory asks for something that cannot be rendered (two sources for one object). */
public class RenderException extends RuntimeException {

    private final transient Location location;

    public RenderException(Location location, String message) {
        super(message);
        this.location = location;
    }

    public Location location() {
        return location;
    }
}
