"""Tools for people who write and review rulesets: what changed between two rulesets
(:mod:`~hazard_rules.authoring.diff`) and a browsable rule catalog
(:mod:`~hazard_rules.authoring.docs`), with conditions rendered readably
(:mod:`~hazard_rules.authoring.render`).
"""
