"""Facts of written Korean the rules and shapes share: where sentences end, what a person's name looks like."""
