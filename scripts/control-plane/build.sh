#!/usr/bin/env bash
# Builds the control plane of meshfed's simulated clusters from the Go modules pinned in go.mod:
# kube-apiserver and kubectl (k8s.io/kubernetes) and etcd (go.etcd.io/etcd/server/v3), into the
# folder layout fabric8's kube-api-test reads:
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/{etcd,kube-apiserver,kubectl}
# A no-op when the three binaries are there. The first build takes a few minutes on 2 cores
# (Go downloads the modules from the module proxy, then compiles about 2,000 packages).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(sed -n 's/^\s*k8s.io\/kubernetes v\([0-9.]*\)$/\1/p' "$here/go.mod")"
[ -n "$version" ] || { echo "control-plane: no k8s.io/kubernetes version in $here/go.mod" >&2; exit 1; }
major="${version%%.*}"; minor="${version#*.}"; minor="${minor%%.*}"
# the Java side looks in ~/.kubeapitest of the account (user.home), whatever $HOME says
home="$(getent passwd "$(id -u)" 2>/dev/null | cut -d: -f6)"
dir="${KUBE_API_TEST_DIR:-${home:-${HOME:-.}}/.kubeapitest}/k8s/${version}-linux-amd64"
if [ -x "$dir/kube-apiserver" ] && [ -x "$dir/kubectl" ] && [ -x "$dir/etcd" ]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
control-plane: the simulated clusters need kube-apiserver, etcd and kubectl ${version} in
  $dir
and there is no Go toolchain here to build them. Either install Go 1.22 or newer (then run
$here/build.sh), or put the three binaries in that folder (KUBE_API_TEST_DIR chooses its parent).
MSG
  exit 1
fi
mkdir -p "$dir"
tmp="$(mktemp -d "$dir/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags="$ldflags -X $pkg.gitVersion=v$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags="$ldflags -X $pkg.gitTreeState=clean -X $pkg.gitCommit=v$version"
done
cd "$here"
export CGO_ENABLED=0
build() {  # name, package, ldflags
  local start=$SECONDS
  echo "control-plane: building $1 (the first build takes a few minutes)..." >&2
  go build -trimpath -ldflags "$3" -o "$tmp/$1" "$2"
  echo "control-plane: $1 built in $((SECONDS - start)) s" >&2
}
build kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$ldflags"
build kubectl k8s.io/kubernetes/cmd/kubectl "$ldflags"
build etcd go.etcd.io/etcd/server/v3 "-s -w"
mv "$tmp/kube-apiserver" "$tmp/kubectl" "$tmp/etcd" "$dir/"
echo "control-plane: $dir" >&2
