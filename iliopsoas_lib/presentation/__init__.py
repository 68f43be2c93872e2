"""Presentation helpers: words and sounds made for people, not the model.

The model layer computes (lengths, doses, timings) and knows nothing of how a page says it; the modules
here turn its results into sentences, plain-text tables and cues for notebooks, widgets and documents.
They may import the model, never the reverse, so a model module stays usable on any page and in tests
without the wording of one of them. ``biomechanics`` words the muscle-length model; other presentation
modules join it here.
"""
