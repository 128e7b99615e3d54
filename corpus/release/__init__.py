"""Everything that turns stage outputs into a publishable, citable release folder."""
