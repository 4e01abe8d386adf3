package ablak.media.srtp;

import java.util.function.LongFunction;

/**
 * The crypto contexts of one direction of a transport, by SSRC. A transport has a handful of SSRCs, so a
 * linear scan of a small array beats a hash map here: no {@code Long} boxed and no lambda captured per
 * packet. Reads take no lock; the rare additions and removals replace the arrays.
 */
final class SsrcMap<T> {
    private record Entries(long[] keys, Object[] values) {
    }

    private static final Entries EMPTY = new Entries(new long[0], new Object[0]);
    private volatile Entries entries = EMPTY;

    @SuppressWarnings("unchecked")
    T get(long ssrc) {
        Entries e = entries;
        long[] keys = e.keys;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == ssrc) {
                return (T) e.values[i];
            }
        }
        return null;
    }

    T computeIfAbsent(long ssrc, LongFunction<T> create) {
        T value = get(ssrc);
        return value != null ? value : add(ssrc, create);
    }

    private synchronized T add(long ssrc, LongFunction<T> create) {
        T value = get(ssrc);
        if (value != null) {
            return value;
        }
        value = create.apply(ssrc);
        Entries e = entries;
        int n = e.keys.length;
        long[] keys = java.util.Arrays.copyOf(e.keys, n + 1);
        Object[] values = java.util.Arrays.copyOf(e.values, n + 1);
        keys[n] = ssrc;
        values[n] = value;
        entries = new Entries(keys, values);
        return value;
    }

    synchronized void remove(long ssrc) {
        Entries e = entries;
        for (int i = 0; i < e.keys.length; i++) {
            if (e.keys[i] == ssrc) {
                long[] keys = new long[e.keys.length - 1];
                Object[] values = new Object[keys.length];
                System.arraycopy(e.keys, 0, keys, 0, i);
                System.arraycopy(e.keys, i + 1, keys, i, keys.length - i);
                System.arraycopy(e.values, 0, values, 0, i);
                System.arraycopy(e.values, i + 1, values, i, keys.length - i);
                entries = new Entries(keys, values);
                return;
            }
        }
    }

    synchronized void clear() {
        entries = EMPTY;
    }

    int size() {
        return entries.keys.length;
    }
}
