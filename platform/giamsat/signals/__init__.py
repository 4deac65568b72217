"""Signals: everything that enters through a channel (workplace, residence, citizens, partners)."""
