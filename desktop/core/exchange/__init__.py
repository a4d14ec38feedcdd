"""Exchange with other tools: gathers what leaves the archive (passages in a scope, the
codebook) for the pure formats in `desktop/core/interop/` and `desktop/core/exporters/`, and
reads what comes in for the operations in `desktop/core/ops/` to write."""
