"""Renderers: any trial record written as one of the seed page layouts' text (CT.gov page,
Veeva, MedPath), faithful to the seeds in trialgraph/samples/seeds (section order, headings,
glued table cells, flags, what each layout omits or only counts).

Each module has ``render(trial) -> str`` (the page) and ``carried(trial) -> dict`` (the record
restricted to the fields the layout carries, as the layout spells them: what a loader can read
back). The round-trip tests check ``parse(render(t)) == carried(t)``.
"""
