package io.dtstream.contract.model;

/** A line that breaks the parsing rules, with the original text and why. */
public record Malformed(String line, String reason) implements ParsedRow {}
