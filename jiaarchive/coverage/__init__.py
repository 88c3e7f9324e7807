"""Coverage and gap report (迎检评估): the archive held against the notice before an inspection.

``assess.assess(archive)`` gives a ``model.Report`` (with ``to_json()``).  Modules: ``profile``
(the unit's facts, and a 小家's parent union's), ``scores`` (自查分/评定分, items set aside),
``rules`` (catalog/mapping.toml and coverage_rules.toml, validated), ``checks`` (the named checks
vetoes, prerequisites and item thresholds are made of), ``evidence``, ``items``, ``vetoes``,
``honours``, ``materials``, ``schedule`` and ``measure``.
"""
