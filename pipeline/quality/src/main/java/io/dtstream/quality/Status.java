package io.dtstream.quality;

/** The outcome of a fit: what a shift crew can trust. */
public enum Status {
  /** Fitted; the values stand. */
  ok,
  /** Too few entries to fit: the values are null. */
  insufficient,
  /** Enough entries, but the fit did not converge or gave no sensible values: the values are null. */
  failed
}
