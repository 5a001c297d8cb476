"""Confidential casework of the social worker and the psychologist."""
