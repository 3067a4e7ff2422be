#!/usr/bin/env bash
# Builds a JDK 25 AOT cache (JEP 483/514) for the JVM build of meshfed from a training run — an
# apply of the blue-green example on simulated clusters — into native/target/meshfed.aot. ./meshfed
# uses it when it is there and newer than the build. Quarkus' own route is
# `mvn verify -Dquarkus.package.jar.aot.enabled=true` (its integration tests are the training run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/scripts/java-env.sh"
"$here/meshfed" --version >/dev/null   # builds when the sources changed
"$here/scripts/control-plane/build.sh"   # the training run simulates clusters
jar="$here/native/target/quarkus-app/quarkus-run.jar"
out="$here/native/target/meshfed.aot"
rm -f "$out"
"$JAVA_HOME/bin/java" "@$here/scripts/jvm-cli.args" -XX:AOTCacheOutput="$out" -jar "$jar" apply -i "$here/inventory/blue-green" --simulate >/dev/null 2>&1
echo "AOT cache: $out ($(du -h "$out" | cut -f1)); ./meshfed now starts with -XX:AOTCache=$out"
