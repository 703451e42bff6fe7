"""Pure scoring core: records, detectors, score and decide. No I/O, no clock."""
