"""Reference data (drugs, targets, conditions; every fact sourced) and entity resolution."""

from trialgraph.ontology.reference import ReferenceData, reference_data
from trialgraph.ontology.resolve import Resolver, default_resolver

__all__ = ["ReferenceData", "Resolver", "default_resolver", "reference_data"]
