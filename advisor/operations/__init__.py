"""Stage 4, operations: the engineering effort each platform asks for, beside its bill.

Activity-based overhead in engineer-hours and dollars, the complexity score, and the
numbered sources both cite.
"""
