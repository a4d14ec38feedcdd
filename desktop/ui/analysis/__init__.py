"""The Analysis workspace: charts, matrices and networks of the debate, every number a link to
the passages behind it."""
