package io.meshfed.inventory.ansible;

import com.hubspot.jinjava.lib.filter.Filter;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static io.meshfed.inventory.ansible.AnsibleFilters.arg;

/**
 * More of Ansible's filters that Jinjava lacks, as ansible.builtin's core.py and urlsplit.py define them: paths
 * ({@code basename}, {@code dirname}), {@code quote} (Python's shlex.quote), {@code hash} and {@code to_uuid},
 * {@code regex_escape} (Python's re.escape), {@code urlsplit} (an API server URL's host or port), and lists
 * ({@code flatten}, {@code zip}). Each is compared with ansible-playbook's output in AnsibleFiltersTest.
 */
final class AnsibleTextFilters {

    /** Ansible's namespace for to_uuid (core.py's UUID_NAMESPACE_ANSIBLE). */
    private static final UUID ANSIBLE_NAMESPACE = UUID.fromString("361E6D51-FAEC-444A-9079-341386DA8E2E");
    /** What shlex.quote leaves unquoted. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[\\w@%+=:,./-]+", Pattern.UNICODE_CHARACTER_CLASS);
    /** What Python's re.escape escapes (3.7 and later). */
    private static final String REGEX_SPECIAL = "()[]{}?*+-|^$\\.&~# \t\n\r\u000b\f";

    private AnsibleTextFilters() {
    }

    static List<Filter> all() {
        return List.of(
                new AnsibleFilters.Named("basename", (v, a, k) -> basename(String.valueOf(v))),
                new AnsibleFilters.Named("dirname", (v, a, k) -> dirname(String.valueOf(v))),
                new AnsibleFilters.Named("quote", (v, a, k) -> quote(v == null ? "None" : String.valueOf(v))),
                new AnsibleFilters.Named("hash", (v, a, k) -> hash(String.valueOf(v), String.valueOf(arg(a, k, 0, "hashtype", "sha1")))),
                new AnsibleFilters.Named("to_uuid", (v, a, k) -> uuid5(arg(a, k, 0, "namespace", null), String.valueOf(v))),
                new AnsibleFilters.Named("regex_escape", (v, a, k) -> regexEscape(String.valueOf(v))),
                new AnsibleFilters.Named("urlsplit", (v, a, k) -> urlsplit(String.valueOf(v), (String) arg(a, k, 0, "query", ""))),
                new AnsibleFilters.Named("flatten", (v, a, k) -> {
                    Object levels = arg(a, k, 0, "levels", null);
                    Object skipNulls = arg(a, k, 1, "skip_nulls", true);
                    List<Object> out = new ArrayList<>();
                    flatten(list(v, "flatten"), levels == null ? -1 : ((Number) levels).intValue(),
                            AnsibleFilters.truthy(skipNulls), out);
                    return out;
                }),
                new AnsibleFilters.Named("zip", (v, a, k) -> {
                    List<List<?>> lists = new ArrayList<>(List.of(list(v, "zip")));
                    for (Object other : a) {
                        lists.add(list(other, "zip"));
                    }
                    int n = lists.stream().mapToInt(List::size).min().orElse(0);
                    List<Object> out = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        List<Object> row = new ArrayList<>();
                        for (List<?> l : lists) {
                            row.add(l.get(i));
                        }
                        out.add(row);
                    }
                    return out;
                }));
    }

    /** os.path.basename: what follows the last slash. */
    static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** os.path.dirname: what precedes the last slash, trailing slashes dropped unless it is all slashes. */
    static String dirname(String path) {
        String head = path.substring(0, path.lastIndexOf('/') + 1);
        return head.matches("/+") ? head : head.replaceAll("/+$", "");
    }

    /** shlex.quote. */
    static String quote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\"'\"'") + "'";
    }

    static String hash(String data, String type) {
        String algorithm = switch (type.toLowerCase(Locale.ROOT)) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("hash: unsupported hash type " + type
                    + " (md5, sha1, sha224, sha256, sha384, sha512)");
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** uuid.uuid5(namespace, name): SHA-1 of the namespace's bytes and the name's, version 5, RFC 4122 variant. */
    static String uuid5(Object namespace, String name) {
        UUID ns = namespace == null ? ANSIBLE_NAMESPACE : UUID.fromString(String.valueOf(namespace));
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(ns.getMostSignificantBits()).putLong(ns.getLeastSignificantBits()).array());
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new UUID(b.getLong(), b.getLong()).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** re.escape. */
    static String regexEscape(String s) {
        StringBuilder out = new StringBuilder(s.length() * 2);
        for (char c : s.toCharArray()) {
            if (REGEX_SPECIAL.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** urllib.parse.urlsplit's fields, all of them as a dict, or the one {@code query} names. */
    static Object urlsplit(String url, String query) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("urlsplit: " + e.getMessage());
        }
        String userInfo = uri.getRawUserInfo();
        String authority = uri.getRawAuthority();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("fragment", uri.getRawFragment() == null ? "" : uri.getRawFragment());
        fields.put("hostname", uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT));
        fields.put("netloc", authority == null ? "" : authority);
        fields.put("password", userInfo != null && userInfo.contains(":") ? userInfo.substring(userInfo.indexOf(':') + 1) : null);
        fields.put("path", uri.getRawPath() == null ? "" : uri.getRawPath());
        fields.put("port", uri.getPort() < 0 ? null : (long) uri.getPort());
        fields.put("query", uri.getRawQuery() == null ? "" : uri.getRawQuery());
        fields.put("scheme", uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT));
        fields.put("username", userInfo == null ? null : userInfo.contains(":") ? userInfo.substring(0, userInfo.indexOf(':')) : userInfo);
        if (query == null || query.isEmpty()) {
            return fields;
        }
        if (!fields.containsKey(query)) {
            throw new IllegalArgumentException("urlsplit: unknown URL component: " + query);
        }
        return fields.get(query);
    }

    private static void flatten(List<?> items, int levels, boolean skipNulls, List<Object> out) {
        for (Object item : items) {
            if (skipNulls && (item == null || "None".equals(item) || "null".equals(item))) {
                continue;
            }
            if (item instanceof List<?> nested && levels != 0) {
                flatten(nested, levels - 1, skipNulls, out);
            } else {
                out.add(item);
            }
        }
    }

    private static List<?> list(Object value, String filter) {
        if (value instanceof List<?> l) {
            return l;
        }
        if (value instanceof Object[] array) {
            return List.of(array);
        }
        throw new IllegalArgumentException(filter + " expects a list, got " + (value == null ? "None" : value.getClass().getSimpleName()));
    }
}
