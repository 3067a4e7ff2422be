package io.meshfed.model.resource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Secret's values as server-side apply can track them. The API server turns {@code stringData} into
 * {@code data} when it stores a Secret, but server-side apply records the field the configuration set:
 * {@code f:stringData.f:password}, never {@code f:data.f:password}. A key taken out of
 * {@code stringData} is then never removed from {@code data}: a credential removed from the inventory
 * stays live. Sent as {@code data} (base64, as the server stores it; a {@code stringData} value wins
 * over a {@code data} value of the same key, as the server decides), each key is the manager's, and
 * one removed from the inventory is removed from the cluster.
 */
public final class SecretData {

    private SecretData() {
    }

    /** The Secret with its {@code stringData} moved into {@code data}; any other object as it is. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> byKey(Map<String, Object> object) {
        if (!"Secret".equals(object.get("kind")) || !"v1".equals(object.get("apiVersion"))
                || !(object.get("stringData") instanceof Map<?, ?> strings)) {
            return object;
        }
        Map<String, Object> secret = new LinkedHashMap<>(object);
        Map<String, Object> data = secret.get("data") instanceof Map<?, ?> d ? new LinkedHashMap<>((Map<String, Object>) d)
                : new LinkedHashMap<>();
        strings.forEach((key, value) -> data.put(String.valueOf(key), Base64.getEncoder().encodeToString(
                String.valueOf(value).getBytes(StandardCharsets.UTF_8))));
        secret.remove("stringData");
        secret.put("data", data);
        return secret;
    }
}
