"""giamsat: supervision of cadres' ethics and lifestyle for Vietnam Fatherland Front committees."""

__version__ = "0.1.0"
