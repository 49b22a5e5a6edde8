package io.dtstream.contract.model;

/**
 * What one CSV line of the DAQ turns out to be. {@link RowParser} never throws: every line is
 * exactly one of these, so every line can be accounted for.
 */
public sealed interface ParsedRow permits Hit, Ancillary, Malformed, Skipped {}
