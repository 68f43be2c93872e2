"""Documents made from the model for people to keep: the printable handout, the calendar plan and the
offline slide deck. They may use figures (a handout shows poses) but never widgets, so the command line
and the dashboard make the same files."""
