"""Repository tools that are not part of the product: checks run by make targets."""
