#!/bin/sh
# Builds the SFU's native AES-GCM (NativeGcm) into the module's classes, where this machine can: a C compiler,
# OpenSSL 3's headers (Debian: libssl-dev) and the JDK's JNI headers. Without them the SFU uses the JCE.
# Arguments: the JDK's home, the output directory (target/classes).
set -eu
jdk=$1
out=$2/native/linux-$(uname -m | sed 's/x86_64/amd64/;s/aarch64/aarch64/')
here=$(dirname "$0")
if [ "$(uname -s)" != Linux ] || ! command -v cc >/dev/null 2>&1 \
        || [ ! -f /usr/include/openssl/evp.h ] || [ ! -f "$jdk/include/jni.h" ]; then
    echo "native AES-GCM not built (needs Linux, cc, OpenSSL headers, JNI headers): SRTP uses the JCE"
    exit 0
fi
mkdir -p "$out"
cc -O2 -fPIC -shared -Wall -Werror -I"$jdk/include" -I"$jdk/include/linux" \
    -o "$out/libablakgcm.so" "$here/ablak_gcm.c" -lcrypto
echo "native AES-GCM built: $out/libablakgcm.so"
