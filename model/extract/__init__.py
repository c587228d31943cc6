"""Reading new documents for the actors' stated positions (`sim extract`)."""
