"""Partner directory and the public resource guide ("Trouver de l'aide")."""
