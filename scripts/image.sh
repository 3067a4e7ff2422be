#!/usr/bin/env bash
# Builds meshfed's container image as an archive, without a Docker daemon and without a base image:
# Debian's libc and a runtime jlinked from this machine's JDK 25, the application, and a JDK AOT
# cache trained by an apply of the blue-green example on simulated clusters inside the image's own
# root file system (chroot: run as root). Writes image/target/meshfed-<version>.tar, an OCI image
# archive: `podman load -i FILE` (or docker load, Docker 25+), or push it with
# `skopeo copy oci-archive:FILE docker://REGISTRY/meshfed:TAG`.
# Needs: dpkg-deb and apt-get (Debian or Ubuntu), chroot and mount (root).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/scripts/java-env.sh"
[ "$(java_major "$JAVA_HOME")" -ge 25 ] || { echo "image.sh: needs a JDK 25+ (JAVA_HOME=$JAVA_HOME)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "image.sh: run as root (the AOT cache is trained in the image's root file system with chroot)" >&2; exit 1; }
"$here/meshfed" --version >/dev/null   # builds the application when its sources changed
"$here/scripts/control-plane/build.sh"   # the training run simulates clusters
version="$(cd "$here" && mvn -q -B help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null || echo 0.1.0-SNAPSHOT)"
revision="$(git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)"
source_url="$(git -C "$here" remote get-url origin 2>/dev/null || echo "")"
(cd "$here" && mvn -q -B install -DskipTests -pl image -am >/dev/null)
cd "$here/image"
exec mvn -q -B exec:java -Dexec.args="$here/native/target/quarkus-app $JAVA_HOME $here/scripts/jvm-cli.args \
  $here/inventory/blue-green $here/image/target/work $here/image/target/meshfed-$version.tar meshfed:$version \
  org.opencontainers.image.title=meshfed org.opencontainers.image.version=$version \
  org.opencontainers.image.revision=$revision org.opencontainers.image.source=$source_url \
  'org.opencontainers.image.description=Federates OpenShift Service Mesh control planes across clusters'"
