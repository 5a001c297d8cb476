"""People, member accounts, visits, referrals, memberships, payments and newsletter."""
