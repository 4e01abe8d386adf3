/*
 * AES-GCM for SRTP (RFC 7714) with one native call per packet and direction.
 *
 * Through the JCE (jitsi-srtp's OpenSSL provider) an encrypt or decrypt takes five JNI transitions, a
 * parameter object and the Cipher's state checks; that overhead cost more than the AES-GCM work itself on a
 * 1.2 KB packet. Here the context keeps its key schedule, the packet is pinned once, and the IV, associated
 * data, payload and tag are handled in one call, in place.
 */
#include <jni.h>
#include <stdint.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define TAG_LENGTH 16
#define IV_LENGTH 12

static EVP_CIPHER_CTX *context(jlong handle) {
    return (EVP_CIPHER_CTX *) (intptr_t) handle;
}

/* A context holding the key's schedule; 0 when the key length is not AES-128 or AES-256, or on failure. */
JNIEXPORT jlong JNICALL Java_ablak_media_srtp_NativeGcm_create(JNIEnv *env, jclass cls, jbyteArray key) {
    jsize length = (*env)->GetArrayLength(env, key);
    const EVP_CIPHER *cipher = length == 16 ? EVP_aes_128_gcm() : length == 32 ? EVP_aes_256_gcm() : NULL;
    if (cipher == NULL) {
        return 0;
    }
    unsigned char k[32];
    (*env)->GetByteArrayRegion(env, key, 0, length, (jbyte *) k);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx != NULL && EVP_CipherInit_ex(ctx, cipher, NULL, k, NULL, 1) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        ctx = NULL;
    }
    OPENSSL_cleanse(k, sizeof k);
    return (jlong) (intptr_t) ctx;
}

JNIEXPORT void JNICALL Java_ablak_media_srtp_NativeGcm_free(JNIEnv *env, jclass cls, jlong handle) {
    EVP_CIPHER_CTX_free(context(handle));
}

/*
 * One packet in place: b[off, off + header) is the associated data, the next payload bytes are encrypted
 * (encrypt 1) or decrypted (encrypt 0), and the tag follows them: written when encrypting, checked before
 * anything decrypted is trusted. Returns the packet's new length, or -1 if OpenSSL fails or the tag does not match.
 */
static jint gcm_packet(JNIEnv *env, jlong handle, jbyteArray buffer, jint off, jint header, jint payload,
        jbyteArray ivArray, int encrypt) {
    if (header < 0 || payload < 0) {
        return -1;
    }
    unsigned char iv[IV_LENGTH];
    (*env)->GetByteArrayRegion(env, ivArray, 0, IV_LENGTH, (jbyte *) iv);
    EVP_CIPHER_CTX *ctx = context(handle);
    unsigned char *b = (*env)->GetPrimitiveArrayCritical(env, buffer, NULL);
    if (b == NULL) {
        return -1;
    }
    unsigned char *p = b + off;
    unsigned char *tag = p + header + payload;
    int n;
    int ok = EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, encrypt) == 1
            && EVP_CipherUpdate(ctx, NULL, &n, p, header) == 1
            && EVP_CipherUpdate(ctx, p + header, &n, p + header, payload) == 1
            && (encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LENGTH, tag) == 1)
            && EVP_CipherFinal_ex(ctx, tag, &n) == 1
            && (!encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LENGTH, tag) == 1);
    (*env)->ReleasePrimitiveArrayCritical(env, buffer, b, 0);
    return ok ? header + payload + (encrypt ? TAG_LENGTH : 0) : -1;
}

/* Encrypts b[off + header, off + len) and appends the tag; the caller guarantees the room. Returns len + 16. */
JNIEXPORT jint JNICALL Java_ablak_media_srtp_NativeGcm_seal(JNIEnv *env, jclass cls, jlong handle,
        jbyteArray buffer, jint off, jint header, jint len, jbyteArray ivArray) {
    return gcm_packet(env, handle, buffer, off, header, len - header, ivArray, 1);
}

/* Checks the tag at the end of b[off, off + len) and decrypts the payload; returns the length without the tag. */
JNIEXPORT jint JNICALL Java_ablak_media_srtp_NativeGcm_open(JNIEnv *env, jclass cls, jlong handle,
        jbyteArray buffer, jint off, jint header, jint len, jbyteArray ivArray) {
    return gcm_packet(env, handle, buffer, off, header, len - header - TAG_LENGTH, ivArray, 0);
}
