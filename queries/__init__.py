"""The query library: one ``.cypher`` file per question, with a header naming its parameters."""
