package io.meshfed.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest (Maven sets it), or "dev" when run from classes. */
public class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = MeshfedCommand.class.getPackage().getImplementationVersion();
        return new String[] {"meshfed " + (version == null ? "dev" : version)};
    }
}
