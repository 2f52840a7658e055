package io.maroonedpods.extender.wire;

/** A slice of the request body that is already valid JSON (a Node, or a name's escaped text), copied out as is. */
public record RawJson(byte[] bytes, int offset, int length) {}
