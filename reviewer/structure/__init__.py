"""Structure parser: normalised lines -> Lark grammar -> typed document tree."""
