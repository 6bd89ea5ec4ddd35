"""Reports that combine domains: needs against supply and unserved referrals."""
