namespace PrivateInference.Host;

/// <summary>
/// Made-up patients, reproducible from a seed: four standardized measurements (z-scores) and
/// whether the condition developed, drawn from a fixed logistic relationship plus chance.
/// </summary>
internal static class SyntheticPatients
{
    public static readonly string[] FeatureNames = ["glucose", "BMI", "age", "blood pressure"];

    // The relationship the data is drawn from (the model has to learn it back).
    private static readonly double[] s_trueWeights = [1.8, 1.1, 0.7, 0.4];
    private const double TrueBias = -0.5;

    public static (double[][] Features, int[] Labels) Generate(int count, int seed)
    {
        Random random = new(seed);
        double[][] features = new double[count][];
        int[] labels = new int[count];
        for (int k = 0; k < count; k++)
        {
            features[k] = [.. Enumerable.Range(0, s_trueWeights.Length).Select(_ => Math.Round(Gaussian(random), 2))];
            double z = TrueBias + features[k].Select((x, i) => x * s_trueWeights[i]).Sum();
            labels[k] = random.NextDouble() < 1.0 / (1.0 + Math.Exp(-z)) ? 1 : 0;
        }

        return (features, labels);
    }

    // Box-Muller: a standard normal draw from two uniform ones.
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
