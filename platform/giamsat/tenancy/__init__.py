"""The committee tree: every Front committee (Ủy ban MTTQ) is a tenant and a node of the tree."""
