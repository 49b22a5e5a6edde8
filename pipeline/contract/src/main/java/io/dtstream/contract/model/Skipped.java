package io.dtstream.contract.model;

/** Lines that are not rows at all and are counted nowhere. */
public enum Skipped implements ParsedRow {
  HEADER,
  BLANK
}
