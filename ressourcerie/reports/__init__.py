"""Activity reports for coordinators and funders."""
