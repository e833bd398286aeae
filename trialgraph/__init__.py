"""trialgraph: a knowledge graph of clinical trials, their arms, drugs, targets and conditions."""

__version__ = "0.1.0"
