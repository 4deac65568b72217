"""Channels for what a committee's staff enter by hand (``staff``) and for press items the Ban
Tuyên giáo follows (``press``). The received date is the one staff enter; the platform refuses
a date in the future or before the plan in force, and records who entered it."""
