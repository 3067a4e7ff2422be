package io.meshfed.model.resource;

/**
 * MANAGED objects are written by meshfed and carry its labels; OBSERVED objects are created by
 * someone else (an operator, istiod) and only read: meshfed waits for them and reads values from them.
 */
public enum Ownership { MANAGED, OBSERVED }
