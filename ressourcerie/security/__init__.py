"""Accounts, roles and sites, login with two factors, sessions, the security log."""
