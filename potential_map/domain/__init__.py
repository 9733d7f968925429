"""Pure potential-map formulas (G.POT, VDI 4640, open loop, sizing). No Django."""
