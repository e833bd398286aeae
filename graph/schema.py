"""The graph model, defined once: labels, their natural keys and properties, relationship types.

Labels and relationship types are a closed set; nothing from input data ever becomes one.
The Cypher linter test uses this module as its DbSchema, so a statement naming anything
else fails.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeSpec:
    label: str
    key: str
    properties: tuple[str, ...]


@dataclass(frozen=True)
class RelSpec:
    type: str
    start: str
    end: str
    properties: tuple[str, ...] = ()


NODES: dict[str, NodeSpec] = {
    n.label: n
    for n in (
        NodeSpec(
            "Trial",
            "nct_id",
            (
                "nct_id", "brief_title", "official_title", "acronym", "org_study_id", "secondary_ids",
                "overall_status", "why_stopped", "phases", "study_type", "enrollment", "enrollment_type",
                "start_date", "start_date_type", "primary_completion_date", "primary_completion_date_type",
                "completion_date", "completion_date_type", "first_posted_date", "last_update_date",
                "brief_summary", "detailed_description", "keywords", "condition_mesh_ids", "condition_mesh_terms",
                "intervention_mesh_ids", "intervention_mesh_terms", "allocation", "intervention_model",
                "primary_purpose", "masking", "who_masked", "minimum_age", "maximum_age", "minimum_age_years",
                "maximum_age_years", "sex", "healthy_volunteers", "eligibility_criteria", "funder_types",
                "responsible_party", "site_count", "countries", "central_contacts", "reference_pmids",
                "reference_citations", "primary_outcomes", "secondary_outcomes", "related_nct_ids",
                "has_results", "source_layout", "source_file", "sources", "field_sources", "disagreements",
                # "layout:digest" of each rendering merged in (graph/writer.py): a reload skips what is unchanged
                "row_digests",
            ),
        ),
        NodeSpec("Arm", "arm_id", ("arm_id", "nct_id", "label", "type", "description")),
        NodeSpec(
            "Intervention",
            "intervention_id",
            ("intervention_id", "nct_id", "name", "type", "description", "other_names", "is_placebo", "resolved"),
        ),
        NodeSpec(
            "Drug",
            "drug_id",
            ("drug_id", "name", "modality", "drug_class", "code_names", "brand_names", "synonyms", "salts", "xrefs",
             "sources", "resolved", "variant"),
        ),
        NodeSpec("Target", "symbol", ("symbol", "name", "aliases", "ncbi_gene", "uniprot", "hgnc_id", "sources")),
        NodeSpec("TargetFamily", "family_id", ("family_id", "name", "aliases", "sources")),
        NodeSpec(
            "Condition",
            "condition_id",
            ("condition_id", "name", "mesh_id", "mesh_heading", "mondo_id", "synonyms", "resolved", "sources", "variant"),
        ),
        NodeSpec("Sponsor", "sponsor_id", ("sponsor_id", "name", "agency_class", "variant")),
        # a trial's outcome measure, with its reported results summarized flat (graph/results.py)
        NodeSpec(
            "Outcome",
            "key",
            ("key", "nct_id", "kind", "ordinal", "measure", "description", "time_frame", "reported", "param_type",
             "dispersion_type", "unit", "population", "result_groups", "participants", "values", "value_groups",
             "value_categories", "p_values", "analysis_methods"),
        ),
        # an adverse event term, shared by the trials reporting it (key: term and organ system, normalized)
        NodeSpec("AdverseEvent", "key", ("key", "term", "organ_system", "vocabulary", "variant")),
        NodeSpec("Publication", "pmid", ("pmid", "citation", "variant")),
        NodeSpec(
            "Site",
            "site_id",
            ("site_id", "facility", "city", "state", "zip", "country", "country_code", "latitude", "longitude", "placeholder",
             "variant"),
        ),
    )
}

RELATIONSHIPS: dict[str, RelSpec] = {
    r.type: r
    for r in (
        RelSpec("HAS_ARM", "Trial", "Arm"),
        RelSpec("HAS_INTERVENTION", "Trial", "Intervention"),
        # option_group: absent when every participant of the arm gets it; otherwise the arm's (on
        # GIVES) or the intervention name's (on USES_DRUG) group of alternatives it belongs to: of
        # the interventions (drugs) sharing a group 'N', one is given; 'optional-N': given to some only
        RelSpec("GIVES", "Arm", "Intervention", ("option_group",)),
        RelSpec("USES_DRUG", "Intervention", "Drug", ("option_group",)),
        RelSpec("ACTS_ON", "Drug", "Target", ("action", "sources")),
        RelSpec("MEMBER_OF", "Target", "TargetFamily"),
        RelSpec("STUDIES", "Trial", "Condition", ("as_written", "qualifiers")),
        RelSpec("SPONSORED_BY", "Trial", "Sponsor", ("role",)),
        RelSpec("HAS_SITE", "Trial", "Site", ("status", "as_written")),
        RelSpec("HAS_OUTCOME", "Trial", "Outcome"),
        # one per trial, term and seriousness: participants affected and at risk summed over the
        # event groups, and per group (groups, group_affected, group_at_risk are parallel lists);
        # arms: the trial's arms whose label is the title of a group with participants affected
        RelSpec("REPORTED", "Trial", "AdverseEvent",
                ("serious", "affected", "at_risk", "groups", "group_affected", "group_at_risk", "arms", "vocabulary",
                 "assessment")),
        RelSpec("CITES", "Trial", "Publication", ("type",)),
        # a drug's indication, from the reference data (issue 18): max_phase 4 is approved
        RelSpec("INDICATED_FOR", "Drug", "Condition", ("max_phase", "source")),
    )
}


def property_keys() -> list[str]:
    keys = {p for n in NODES.values() for p in n.properties}
    keys |= {p for r in RELATIONSHIPS.values() for p in r.properties}
    return sorted(keys)


def db_schema() -> dict:
    """The schema in the shape of @neo4j-cypher/language-support's DbSchema."""
    return {
        "labels": sorted(NODES),
        "relationshipTypes": sorted(RELATIONSHIPS),
        "propertyKeys": property_keys(),
        "graphSchema": [{"from": r.start, "to": r.end, "relType": r.type} for r in RELATIONSHIPS.values()],
    }
