package io.meshfed.model.inventory;

/** ImportedServiceSet {@code spec.locality}: where the imported endpoints are, for locality load balancing. */
public record Locality(String region, String zone, String subzone) {
}
