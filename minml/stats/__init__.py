"""Statistics: for now the bootstrap (:mod:`minml.stats.bootstrap`), the one implementation minml uses."""

from minml.stats.bootstrap import (
    BootstrapResult,
    ConfidenceInterval,
    DegenerateDataWarning,
    bootstrap_ci,
    bootstrap_indices,
)

__all__ = ["BootstrapResult", "ConfidenceInterval", "DegenerateDataWarning", "bootstrap_ci", "bootstrap_indices"]
