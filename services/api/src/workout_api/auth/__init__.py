"""Sign-in, tokens and the role checks routes depend on."""
