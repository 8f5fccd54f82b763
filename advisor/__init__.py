"""ECS vs EKS cost and complexity advisor: the pure model."""
