"""Stage 2, capacity: how much compute each platform needs to run the workload.

AWS's sizing rules (Fargate task and pod sizes, node allocatable, max pods, ENI limits)
and the placement of replicas onto EC2 node shapes. No prices are looked up here: node
shapes arrive with the hourly price the costs stage chose.
"""
