"""Administration: accounts and forced deletes, for the admin role only."""
