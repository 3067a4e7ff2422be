#!/usr/bin/env bash
# Builds the control plane of meshfed's simulated clusters from the Go modules pinned in go.mod:
# kube-apiserver and kubectl (k8s.io/kubernetes) and etcd (go.etcd.io/etcd/server/v3), into the
# folder layout fabric8's kube-api-test reads:
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/{etcd,kube-apiserver,kubectl}
# and the CRDs that OSSM 3's simulated clusters serve beside the Sail operator's own, taken from the
# Go modules that publish them (crds.sum pins each module, its go.sum hash and its files: Istio's
# istio.io/api at the Istio of OSSM 3.4, Gateway API's sigs.k8s.io/gateway-api at the release that
# Istio builds with) into ${KUBE_API_TEST_DIR:-~/.kubeapitest}/crds/ossm3.
# A no-op when they are there. The first build takes a few minutes on 2 cores
# (Go downloads the modules from the module proxy, then compiles about 2,000 packages).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(sed -n 's/^\s*k8s.io\/kubernetes v\([0-9.]*\)$/\1/p' "$here/go.mod")"
[ -n "$version" ] || { echo "control-plane: no k8s.io/kubernetes version in $here/go.mod" >&2; exit 1; }
major="${version%%.*}"; minor="${version#*.}"; minor="${minor%%.*}"
# the Java side looks in ~/.kubeapitest of the account (user.home), whatever $HOME says
home="$(getent passwd "$(id -u)" 2>/dev/null | cut -d: -f6)"
top="${KUBE_API_TEST_DIR:-${home:-${HOME:-.}}/.kubeapitest}"
dir="$top/k8s/${version}-linux-amd64"
crds="$top/crds/ossm3"
need_go() {
  command -v go >/dev/null 2>&1 && return 0
  cat >&2 <<MSG
control-plane: the simulated clusters need $1 in
  $2
and there is no Go toolchain here to fetch or build them. Either install Go 1.22 or newer (then run
$here/build.sh), or put them in that folder (KUBE_API_TEST_DIR chooses its parent).
MSG
  exit 1
}
# the CRDs, each file from its module as the module proxy serves it, the module checked against crds.sum
if ! cmp -s "$here/crds.sum" "$crds/SOURCE" 2>/dev/null; then
  need_go "the CRDs of crds.sum" "$crds"
  mkdir -p "$top/crds"
  staging="$(mktemp -d "$top/crds/.fetch.XXXXXX")" && chmod 755 "$staging"
  while read -r module modversion sum files; do
    [ -n "$module" ] || continue
    # outside any module: what is downloaded is that module alone, checked by the go command against the checksum database
    json="$(cd "$staging" && go mod download -json "$module@$modversion")"
    got="$(printf '%s\n' "$json" | sed -n 's/^\s*"Sum": "\(.*\)",\{0,1\}$/\1/p')"
    from="$(printf '%s\n' "$json" | sed -n 's/^\s*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
    if [ "$got" != "$sum" ]; then
      echo "control-plane: $module@$modversion has hash '$got', crds.sum pins $sum" >&2; rm -rf "$staging"; exit 1
    fi
    for f in $files; do cp "$from/$f" "$staging/"; chmod 644 "$staging/$(basename "$f")"; done
  done < "$here/crds.sum"
  cp "$here/crds.sum" "$staging/SOURCE"
  rm -rf "$crds" && mv "$staging" "$crds"
  echo "control-plane: CRDs in $crds" >&2
fi
if [ -x "$dir/kube-apiserver" ] && [ -x "$dir/kubectl" ] && [ -x "$dir/etcd" ]; then
  exit 0
fi
need_go "kube-apiserver, etcd and kubectl ${version}" "$dir"
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
